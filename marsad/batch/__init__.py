"""Scale-out: the batch pipeline on a Dask cluster, its Parquet output, and loading it into the store.

    from marsad.batch import BatchOptions, dask_client, load_output, run_batch

    with dask_client() as client:                       # a local cluster; dask_client("tcp://host:8786") for a real one
        report = run_batch(client, ["s3://bucket/crawl/"], "s3://bucket/marsad-out", BatchOptions())
    load_output("s3://bucket/marsad-out", "marsad.db")    # the SQLite store `marsad serve` reads

Modules: dask_pipeline (the stages and the driver), exchange (moving data between tasks), inputs (listing
and reading local or fsspec paths), lsh (near-duplicates as a shuffle on band keys), windows (clustering by
time window with overlap, merged), parquet (the output tables), load (into the store), agreement (against
the single-machine batch mode). See docs/scale.md.
"""

from marsad.batch.dask_pipeline import BatchOptions, BatchReport, dask_client, run_batch
from marsad.batch.load import LoadError, LoadReport, load_output

__all__ = [
    "BatchOptions",
    "BatchReport",
    "LoadError",
    "LoadReport",
    "dask_client",
    "load_output",
    "run_batch",
]
