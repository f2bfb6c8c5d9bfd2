"""What residents download: open data, the 予定 page and feed, the printouts."""
