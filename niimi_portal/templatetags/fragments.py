from django import template

from niimi_portal import fragments

register = template.Library()


@register.tag
def fragment(parser, token):
    """{% fragment "name" [value …] %}…{% endfragment %}: the enclosed part kept rendered while nothing the
    page shows changes (niimi_portal/fragments.py); the values, when given, are part of its key."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError('{% fragment %} takes a name, e.g. {% fragment "content" %}')
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist)


class FragmentNode(template.Node):
    def __init__(self, name, vary, nodelist):
        self.name = name
        self.vary = vary
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        name = self.name.resolve(context)
        vary = [str(value.resolve(context)) for value in self.vary]
        return fragments.render(request, name, vary, lambda: self.nodelist.render(context))
