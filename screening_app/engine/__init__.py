"""The questionnaire engine: the definition and its loader, expressions, sessions.

Qt-free and store-free: definition -> loader (checked once, with typecheck and graph)
-> Session (answers in; visible items, problems and flags out) -> display and key facts
(how answers read to people). See docs/architecture.md.
"""
