"""Configuration: pydantic-settings read from the environment and `.env`."""

from linli.config.settings import ConfigError, Settings, load_settings, webhook_config

__all__ = ["ConfigError", "Settings", "load_settings", "webhook_config"]
