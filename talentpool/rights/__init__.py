"""What the candidate has a right to: everything held about them, in a form they can take."""
