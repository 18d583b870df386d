"""Peer buddies: verified champions who opt in are paired, by a coordinator, with another champion."""
