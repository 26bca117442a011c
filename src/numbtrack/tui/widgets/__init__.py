"""The dashboard's own widgets, one per module: nothing here touches the store."""
