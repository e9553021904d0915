"""Persistence: the only package that imports SQLAlchemy.

Functions here take a session as their first argument and only add and flush; the caller
owns the transaction and commits once.
"""
