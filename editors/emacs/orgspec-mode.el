;;; orgspec-mode.el --- Major mode for orgspec `.org' specs -*- lexical-binding: t; -*-

;; A small major mode: highlighting, `//' comments, indentation by braces, and the
;; orgspec language server through Eglot: findings, go to definition, references, hover,
;; completion, rename, imenu, formatting and quick fixes.  Eglot is built into Emacs 29+;
;; on Emacs 28 install it from GNU ELPA (or Debian's elpa-eglot).  Tried with Emacs 28.2
;; and Eglot 1.9.
;;
;; Emacs opens `.org' files in Org mode.  Choose orgspec-mode for your specs in one of
;; three ways:
;;   - a mode line on the file's first line:      // -*- mode: orgspec -*-
;;   - a `.dir-locals.el' in the specs folder:    ((nil . ((mode . orgspec))))
;;   - by path, in your init file:
;;       (add-to-list 'auto-mode-alist '("/specs/.*\\.org\\'" . orgspec-mode))
;;
;; Install: put this file on your `load-path', then
;;   (require 'orgspec-mode)
;;   (add-hook 'orgspec-mode-hook #'eglot-ensure)

;;; Code:

(defgroup orgspec nil
  "Organisational structures and restructures as code."
  :group 'languages)

(defcustom orgspec-program "orgspec"
  "The orgspec binary, run as `orgspec lsp' by Eglot."
  :type 'string)

(defconst orgspec-item-kinds
  '("use" "spec" "org" "align" "grade" "area" "person" "post" "slot" "pool"
    "service" "agreement" "timeline" "budget" "proposal" "rule")
  "Keywords that begin an item.")

(defconst orgspec-statement-keywords
  '("severity" "param" "for" "let" "require" "message" "help" "at" "also" "completeness")
  "Keywords that begin a statement of a rule.")

(defconst orgspec-font-lock-keywords
  `((,(concat "^\\s-*\\(?:\\(new\\|deleted\\)\\s-+\\)?\\("
              (regexp-opt orgspec-item-kinds)
              "\\)\\_>\\(?:\\s-+\\([A-Za-z_][A-Za-z0-9_]*\\)\\)?")
     (1 font-lock-keyword-face nil t)
     (2 font-lock-keyword-face)
     (3 font-lock-type-face nil t))
    ("@[A-Za-z_]+" . font-lock-preprocessor-face)
    (,(concat "^\\s-*" (regexp-opt orgspec-statement-keywords 'symbols))
     . font-lock-builtin-face)
    ("^\\s-*\\([a-z_][a-z0-9_]*\\)\\_>" 1 font-lock-variable-name-face)
    (";\\s-*\\([a-z_][a-z0-9_]*\\)\\_>" 1 font-lock-variable-name-face)
    ("{\\s-*\\([a-z_][a-z0-9_]*\\)\\_>" 1 font-lock-variable-name-face)
    (,(regexp-opt '("tbd" "none" "vacant" "true" "false") 'symbols) . font-lock-constant-face)
    (,(regexp-opt '("and" "or" "not" "in" "all" "any" "where") 'symbols) . font-lock-keyword-face)
    ("£[0-9][0-9_.]*\\|\\_<[0-9][0-9_.-]*%?" . font-lock-constant-face))
  "Highlighting for `orgspec-mode'.")

(defvar orgspec-mode-syntax-table
  (let ((table (make-syntax-table)))
    (modify-syntax-entry ?/ ". 12" table)
    (modify-syntax-entry ?\n ">" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?\\ "\\" table)
    table)
  "Syntax table for `orgspec-mode'.")

(defun orgspec-indent-line ()
  "Indent the current line two spaces per open brace or bracket."
  (interactive)
  (let ((depth (save-excursion
                 (beginning-of-line)
                 (let ((d (car (syntax-ppss))))
                   (if (looking-at "\\s-*[]})]") (max 0 (1- d)) d)))))
    (indent-line-to (* 2 depth))))

;;;###autoload
(define-derived-mode orgspec-mode prog-mode "orgspec"
  "Major mode for orgspec `.org' specs."
  (setq-local comment-start "// ")
  (setq-local comment-start-skip "//+\\s-*")
  (setq-local font-lock-defaults '(orgspec-font-lock-keywords))
  (setq-local indent-line-function #'orgspec-indent-line)
  (setq-local indent-tabs-mode nil))

(defvar eglot-server-programs)
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `(orgspec-mode . (,orgspec-program "lsp"))))

(provide 'orgspec-mode)
;;; orgspec-mode.el ends here
