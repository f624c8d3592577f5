"""`{% load pictures %}`: responsive photos from the renditions stored on their rows."""

from django import template

from articles.renditions import picture_html

register = template.Library()


@register.simple_tag
def picture(photo, sizes="100vw", loading="lazy", css_class="", alt=None):
    """A responsive <picture>: WebP and JPEG renditions with srcset, width and height set.

    `loading="eager"` for the photo at the top of a page, "lazy" below the fold. `alt`
    overrides the photo's own alt text ("" for a decorative thumbnail next to a headline
    that says the same).
    """
    return picture_html(photo, sizes, loading=loading, css_class=css_class, alt=alt)
