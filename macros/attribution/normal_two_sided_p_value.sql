{#- Two-sided p-value of a standard normal statistic z: P(|Z| ≥ |z|) = erfc(|z| / √2)
    (relative error below 5e-13 for |z| < 36; see erfc). Null when z is null. -#}
{% macro normal_two_sided_p_value(z) -%}
    {{ growthlens.erfc('abs(' ~ z ~ ') * 0.7071067811865476') }}
{%- endmacro %}
