"""The public pages of areas, organizations, FAQ, cases and search, plain and crawled."""
