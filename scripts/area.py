#!/usr/bin/env python3
"""`make area`: synthesis estimates of the generated designs (mixpe_flow/area.py; --help)."""
from mixpe_flow.area import main

if __name__ == "__main__":
    main()
