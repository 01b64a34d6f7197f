SELECT cancel_requested FROM jobs WHERE id = :id
