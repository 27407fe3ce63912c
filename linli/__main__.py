"""`python -m linli …` is the `linli` command."""

from linli.bot.cli import main

if __name__ == "__main__":
    main()
