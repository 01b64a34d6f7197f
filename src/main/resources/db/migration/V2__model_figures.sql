-- What a completed reconstruction produced, for the API, the console and the metrics.
ALTER TABLE jobs ADD COLUMN point_count BIGINT;
ALTER TABLE jobs ADD COLUMN mesh_face_count BIGINT;
ALTER TABLE jobs ADD COLUMN registered_views INTEGER;
