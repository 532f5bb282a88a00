"""CareGap: where does community care fall short of need?"""

__version__ = "0.1.0"
CONTRACT_VERSION = "1"
