"""bench's side of asv: results recorded into asv's database (``db``, with the metric series of
``series``), asv's HTML site built from it (``publish``), and the site's scripts fetched from the
npm registry (``assets``). Only these modules import asv."""
