"""crm-dash: how much do people really use their CRM, and how to raise it."""

__version__ = "0.1.0"
