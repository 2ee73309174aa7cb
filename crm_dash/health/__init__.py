"""Data health: how the four datasets fit together, and what a lead should do about it."""
