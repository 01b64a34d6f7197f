UPDATE jobs SET point_count = :points, mesh_face_count = :faces, registered_views = :registered WHERE id = :id
