"""Tests of the site package: its pages, settings, page cache, ふりがな, demo data; lib/ for the leaf helpers."""
