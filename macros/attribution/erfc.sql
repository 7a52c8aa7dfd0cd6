{#- Complementary error function erfc(x) of a non-negative expression, in plain arithmetic
    (exp, sqrt, division) so every adapter computes it the same way. Two exact expansions,
    truncated where they have converged:
    - x < 2: erfc = 1 − erf, erf(x) = 2/√π · e^(−x²) · x · (1 + 2x²/3 · (1 + 2x²/5 · (1 + …)))
      (all terms positive, no cancellation), 50 terms in nested (Horner) form;
    - x ≥ 2: the continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
      60 levels, evaluated from the inside out.
    Against Python's math.erfc the relative error is below 1e-12 for 0 ≤ x < 26 (measured on a
    0.001 grid; tests/test_campaign_impact.py checks scipy values); beyond, e^(−x²) underflows
    and the result is 0. `x` is repeated many times: pass a column, not a costly expression. -#}
{% macro erfc(x) -%}
    case
        when {{ x }} < 2 then
            1 - 1.1283791670955126 * exp(-({{ x }}) * ({{ x }})) * ({{ x }}) * (
                {%- for n in range(1, 51) %}1 + 2 * ({{ x }}) * ({{ x }}) / {{ 2 * n + 1 }} * ({% endfor -%}
                1{% for n in range(1, 51) %}){% endfor %}
            )
        else
            0.5641895835477563 * exp(-({{ x }}) * ({{ x }})) / (
                {%- for k in range(1, 61) %}({{ x }}) + {{ k / 2 }} / ({% endfor -%}
                ({{ x }}){% for k in range(1, 61) %}){% endfor %}
            )
    end
{%- endmacro %}
