"""HTTP API and Arabic web page over the store (FastAPI): `marsad.api.app.create_app`, `marsad serve`."""
