"""Constants shared by the simulator's modules."""

from __future__ import annotations

import numpy as np

__all__ = ["ANDROID", "DAY", "INF", "IOS", "N_EMAIL", "N_SLOT", "N_VER", "SERVER", "WEB"]

DAY = 86400.0
INF = np.inf
WEB, IOS, ANDROID, SERVER = 0, 1, 2, 3
N_VER = 3  # user id versions per person: 0 current, 1 previous, 2 the one before
N_SLOT = 6  # 3 devices x 2 install epochs
N_EMAIL = 4  # email 1, email 1 as typed with noise, email 2, email 2 with noise
