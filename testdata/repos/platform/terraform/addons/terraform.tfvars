metrics_server_version = "3.12.2"
adapter_replicas       = 2
