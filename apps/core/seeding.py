def upsert(model, *, defaults: dict, **lookup):
    """Create the row, or bring it up to date; save only when something differs.

    Seeds run again and again, so an unchanged row is not saved (no new history entry either).
    Returns ``(obj, created)``.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        return obj, True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.full_clean()
        obj.save()
    return obj, False
