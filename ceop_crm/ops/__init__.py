"""Running the service: health endpoints, Prometheus metrics, task runs, logs."""
