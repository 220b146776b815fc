#!/usr/bin/env python3
"""`make power`: energy per MAC from gate-level simulation (mixpe_flow/power.py; --help)."""
from mixpe_flow.power import main

if __name__ == "__main__":
    main()
