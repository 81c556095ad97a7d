"""The NiceGUI user interface: it calls services and listens to the event bus, nothing else."""
