"""`make eval`: questions collected outside the team, asked through the REST channel, answers scored."""
