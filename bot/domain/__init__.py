"""Domain: symbols and the one resolver of what users type, errors, time, and the ports."""
