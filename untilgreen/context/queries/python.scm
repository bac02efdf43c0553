; Definitions to chunk. @definition.<kind> is the node, @name its name, @body what a skeleton elides,
; @doc an optional docstring kept in skeletons. Nesting (methods, nested classes) is derived from the tree.

(function_definition
  name: (identifier) @name
  body: (block) @body) @definition.function

(function_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc))) @definition.function

(class_definition
  name: (identifier) @name
  body: (block) @body) @definition.class

(class_definition
  name: (identifier) @name
  body: (block . (expression_statement (string) @doc))) @definition.class

(module
  (expression_statement
    (assignment left: (identifier) @name)) @definition.variable)
