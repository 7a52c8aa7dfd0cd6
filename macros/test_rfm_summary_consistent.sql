{#- Generic test: an RFM summary row is internally consistent (metrics.md §8): frequency >= 0,
    0 <= recency <= t; a one-day purchaser (frequency 0) has recency 0 and monetary_value 0; a
    repeat purchaser has recency > 0 and monetary_value > 0. Rows breaking it are returned. -#}
{% test rfm_summary_consistent(model) %}
select *
from {{ model }}
where
    frequency < 0
    or recency < 0
    or recency > t
    or (frequency = 0 and (recency <> 0 or monetary_value <> 0))
    or (frequency > 0 and (recency <= 0 or monetary_value <= 0))
{% endtest %}
