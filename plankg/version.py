"""The plankg version, in one place (setup.cfg states it for packaging)."""
__version__ = "0.1.0"
