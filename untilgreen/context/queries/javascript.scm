; Definitions to chunk (see python.scm for the capture names). TypeScript and TSX use this file too,
; plus typescript.scm.

(function_declaration
  name: (identifier) @name
  body: (statement_block) @body) @definition.function

(generator_function_declaration
  name: (identifier) @name
  body: (statement_block) @body) @definition.function

(lexical_declaration
  (variable_declarator
    name: (identifier) @name
    value: [(arrow_function body: (_) @body)
            (function_expression body: (_) @body)])) @definition.function

(class_declaration
  name: (_) @name
  body: (class_body) @body) @definition.class

(class_body
  (method_definition
    name: (_) @name
    body: (statement_block) @body) @definition.function)

(program
  (lexical_declaration
    (variable_declarator name: (identifier) @name)) @definition.variable)

(program
  (export_statement
    (lexical_declaration
      (variable_declarator name: (identifier) @name)) @definition.variable))
