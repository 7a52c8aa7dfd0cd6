{#- The data end of metrics.md §0 (the var as_of, else the latest accepted event_ts) as a one-row
    table, evaluated once per build. Views and cheap marts that add data-end-dependent columns
    (is_window_complete, lifecycle_status, ...) join this row instead of each scanning the
    accepted events again: a scalar subquery in a view is planned as a join that every reader of
    the view pays, whether it reads the column or not. -#}
with final as (
    select cast({{ growthlens.data_end() }} as timestamp) as data_end_at
)

select * from final
