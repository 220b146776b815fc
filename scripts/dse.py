#!/usr/bin/env python3
"""`make dse`: fidelity against PE area over the design space (mixpe_flow/dse.py; --help)."""
from mixpe_flow.dse import main

if __name__ == "__main__":
    main()
