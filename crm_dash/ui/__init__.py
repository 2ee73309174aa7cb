"""The only part of crm_dash that imports streamlit: shell, guards, shared page pieces."""
