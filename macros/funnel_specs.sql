{#- The var `funnels`, checked and normalised at compile time: a list of
    {name, window_hours, window_seconds, events, steps: [{index, event, properties, name}]}.
    window_seconds is rounded to the microsecond, as timestamps are, so a window of 0.7 h is
    2520 s exactly and an event exactly at the window's end stays inside it.
    A step is an event name or {event, properties: {key: value}, name (optional label)};
    event names are normalised like the data (metrics.md §0). A step's default label is its
    event name, followed by its property filters: `signed_up (signup_type = invited)`. -#}
{% macro funnel_specs() -%}
    {%- set configured = growthlens.setting('funnels') or [] -%}
    {%- set max_steps = growthlens.funnel_max_steps() -%}
    {%- set specs = [] -%}
    {%- set seen = [] -%}
    {%- for funnel in configured -%}
        {%- if funnel is not mapping or not funnel.get('name') -%}
            {{ exceptions.raise_compiler_error(
                "growthlens: each entry of the var `funnels` needs a `name`, `steps` and `window_hours`; got "
                ~ funnel) }}
        {%- endif -%}
        {%- set name = funnel['name'] | string | trim -%}
        {%- if name in seen -%}
            {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' is listed twice in the var `funnels`; give each funnel its own name") }}
        {%- endif -%}
        {%- do seen.append(name) -%}
        {%- set steps = funnel.get('steps') -%}
        {%- if steps is string or steps is mapping or steps is not iterable or steps | length == 0 -%}
            {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' needs `steps`, a non-empty list of event names or {event, properties}") }}
        {%- endif -%}
        {%- if steps | length > max_steps -%}
            {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' has " ~ (steps | length)
                ~ " steps; fct_funnel_persons holds at most " ~ max_steps ~ ": split it into shorter funnels") }}
        {%- endif -%}
        {%- set window_hours = funnel.get('window_hours') -%}
        {%- if window_hours is none or window_hours is string or window_hours is not number or window_hours <= 0 -%}
            {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' needs `window_hours`, a positive number of hours (conversion window from entry); got " ~ window_hours) }}
        {%- endif -%}
        {%- set normalised_steps = [] -%}
        {%- set events = [] -%}
        {%- for step in steps -%}
            {%- if step is string -%}
                {%- set event = growthlens.normalize_name_text(step) -%}
                {%- set properties = {} -%}
                {%- set label = none -%}
            {%- elif step is mapping and step.get('event') -%}
                {%- set event = growthlens.normalize_name_text(step['event']) -%}
                {%- set properties = step.get('properties') or {} -%}
                {%- set label = step.get('name') -%}
                {%- if properties is not mapping -%}
                    {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' step " ~ loop.index
                        ~ ": `properties` must be a mapping {key: value}; got " ~ properties) }}
                {%- endif -%}
            {%- else -%}
                {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' step " ~ loop.index
                    ~ " must be an event name or {event: ..., properties: {...}}; got " ~ step) }}
            {%- endif -%}
            {%- if event == '' -%}
                {{ exceptions.raise_compiler_error("growthlens: funnel '" ~ name ~ "' step " ~ loop.index ~ " has an empty event name") }}
            {%- endif -%}
            {%- if label is none -%}
                {%- set filters = [] -%}
                {%- for key, value in properties.items() -%}
                    {%- if value is sameas true -%}{%- set shown = 'true' -%}
                    {%- elif value is sameas false -%}{%- set shown = 'false' -%}
                    {%- elif value is none -%}{%- set shown = 'null' -%}
                    {%- elif value is string -%}{%- set shown = value -%}
                    {%- elif value is iterable and value is not mapping -%}{%- set shown = '[' ~ (value | join(', ')) ~ ']' -%}
                    {%- else -%}{%- set shown = value | string -%}
                    {%- endif -%}
                    {%- do filters.append(key ~ ' = ' ~ shown) -%}
                {%- endfor -%}
                {%- set label = event ~ ((' (' ~ (filters | join(', ')) ~ ')') if filters else '') -%}
            {%- endif -%}
            {%- if event not in events -%}
                {%- do events.append(event) -%}
            {%- endif -%}
            {%- do normalised_steps.append({
                'index': loop.index,
                'event': event,
                'properties': properties,
                'name': label | string,
            }) -%}
        {%- endfor -%}
        {%- do specs.append({
            'name': name,
            'window_hours': window_hours,
            'window_seconds': (window_hours * 3600) | round(6),
            'events': events,
            'steps': normalised_steps,
        }) -%}
    {%- endfor -%}
    {{- return(specs) -}}
{%- endmacro %}
