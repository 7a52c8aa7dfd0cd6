-- Nothing is lost: every raw event row is either accepted (stg_events) or rejected, once.
with counts as (
    select
        (select count(*) from {{ source('raw', 'events') }}) as n_raw,
        (select count(*) from {{ ref('stg_events') }}) as n_accepted,
        (select count(*) from {{ ref('rejected_events') }}) as n_rejected
)

select *
from counts
where n_raw <> n_accepted + n_rejected
