; TypeScript's own definitions, on top of javascript.scm.

(abstract_class_declaration
  name: (type_identifier) @name
  body: (class_body) @body) @definition.class

(interface_declaration
  name: (type_identifier) @name
  body: (interface_body) @body) @definition.type

(enum_declaration
  name: (identifier) @name
  body: (enum_body) @body) @definition.type

(type_alias_declaration
  name: (type_identifier) @name) @definition.type
