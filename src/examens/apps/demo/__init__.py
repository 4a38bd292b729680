"""Session de démonstration réaliste du BTS NDRC 2022 (graine fixe : mêmes paramètres, mêmes données)."""
