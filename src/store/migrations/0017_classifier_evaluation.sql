-- The cross-validated quality of each training run (accuracy per class and per language, calibration
-- error, the fitted temperature), kept beside the model so the admin screen and the status API can show
-- it without reading the model itself (~1 MB). NULL for models trained before it was measured.
ALTER TABLE classifier_models ADD COLUMN evaluation jsonb;
