"""Tests of niimi_portal.lib, the leaf helpers."""
