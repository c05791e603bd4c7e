{#- Reference NumPy code of part (b), one file per problem. Every value comes from the view; nothing
    here is user text (problem ids are restricted to a-z, 0-9, '_' and '-'). -#}
"""{{ t.code_header }}

{{ t.code_run }}
"""
import sys

import numpy as np

DTYPE = np.{{ dtype }}
{%- if dtype == "float32" %}
if int(np.__version__.split(".")[0]) < 2:
    sys.stderr.write(
        {{ t.code_numpy1 }}
    )
{%- endif %}


def {{ gradient_fn }}(W):
    """{{ t.code_df_w }}"""
    {{ vars }} = W
{%- for g in gradient %}
    d{{ g.var }} = {{ g.expr }}
{%- endfor %}
    return np.array([{{ dvars }}], dtype=DTYPE)


def {{ fn_name }}(W, dW, lr{% for s in state %}, {{ s }}{% endfor %}, t{% for h in hypers %}, {{ h.name }}={{ h.value }}{% endfor %}):
    """{{ t.code_update }}"""
{%- for l in lines %}
    {{ l }}
{%- endfor %}
    return W{% for s in state %}, {{ s }}{% endfor %}


def {{ train_fn }}(optimizer, lr, epochs):
    """{{ t.code_train }}"""
    W = np.array([{{ start }}], dtype=DTYPE)
{%- for s in inits %}
    {{ s.name }} = {{ s.make }}
{%- endfor %}
    results = [W]
    for t in range(1, epochs + 1):
        dW = {{ gradient_fn }}({{ grad_at }})
        W{% for s in state %}, {{ s }}{% endfor %} = optimizer(W, dW, lr{% for s in state %}, {{ s }}{% endfor %}, t)
        results.append(W)
    return results


if __name__ == "__main__":
    # {{ t.code_print }}
    results = {{ train_fn }}({{ fn_name }}, lr={{ lr }}, epochs={{ epochs }})
    for epoch, W in enumerate(results):
        if "--hex" in sys.argv:
            print(epoch, *[float(x).hex() for x in W])
        else:
            print(f"epoch {epoch:{{ width }}d}:", *[str(x) for x in W])
