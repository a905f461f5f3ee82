"""Sections drawn on more than one page, or too long for their page: one section per module."""
