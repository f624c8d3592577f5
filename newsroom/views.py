from newsroom.preview import object_from_token, render_preview


def shared_preview(request, token):
    """A preview for someone without an account: the link itself is the permission."""
    return render_preview(request, object_from_token(token), shared=True)
