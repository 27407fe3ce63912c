"""``python -m linli.emulator --port 8081``."""

from linli.emulator.cli import main

if __name__ == "__main__":
    main()
