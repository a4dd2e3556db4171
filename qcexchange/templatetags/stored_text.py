"""Text kept in the database that may be one of the product's own messages.

A job stores some messages in their untranslated form (for instance that the task queue is
down), because it cannot know who reads them; ``{{ job.message|stored_text }}`` shows such a
message in the reader's language and any other text as it is.
"""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def stored_text(value):
    return gettext(value) if isinstance(value, str) and value else value
