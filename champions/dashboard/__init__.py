"""The programme's figures: monthly statistics worked out ahead, the dashboards, and the public totals."""
