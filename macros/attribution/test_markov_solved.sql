{#- Generic test on the Markov removal effects: every channel was eliminated (no more channels
    than the unrolled steps), the probabilities are probabilities, and removing a channel never
    raises P (beyond rounding). -#}
{% test markov_solved(model) %}
select *
from {{ model }}
where
    n_channels > max_channels
    or conversion_probability < 0
    or conversion_probability > 1 + 1e-12
    or conversion_probability_without < 0
    or conversion_probability_without > conversion_probability + 1e-12
{% endtest %}
