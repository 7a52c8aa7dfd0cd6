{#- Generic test: the Markov solution reached its fixed point — P changed by less than
    `tolerance` over the last squaring and less than `tolerance` of the probability mass is
    still on transient states (a bound on any further change). -#}
{% test markov_converged(model, tolerance=1e-12) %}
select *
from {{ model }}
where
    last_change is null
    or last_change >= {{ tolerance }}
    or unabsorbed_mass is null
    or unabsorbed_mass >= {{ tolerance }}
{% endtest %}
