"""The belief model: evidence fit, per-criterion beliefs, the fit with its band, and the chance of being best."""
