-- A data-quality check of severity `error` (tracking plan or quality_checks seed) that flags
-- rows fails the build; `warn` checks only report in marts.data_quality_issues.
select
    check_name,
    n_rows,
    sample_ids
from {{ ref('data_quality_issues') }}
where severity = 'error' and n_rows > 0
