;;; emacs.el --- An Emacs session with the shipped mode and Eglot, in batch  -*- lexical-binding: t; -*-
;; Open $SPEC in orgspec-mode, start the server with Eglot, try its features, and write
;; what happened to $OUT, a line each (tests/editors.rs reads it).
;; Run: emacs --batch -l editors/emacs/orgspec-mode.el -l tests/editor_sessions/emacs.el

(require 'eglot)
(require 'flymake)
(require 'xref)

(defvar session-lines nil)
(defun say (fmt &rest args) (push (apply #'format fmt args) session-lines))

(defun wait-for (predicate seconds)
  "Let the server answer until PREDICATE holds or SECONDS pass; return whether it held."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; flymake reports from timers, which batch Emacs runs only when asked
      (when (fboundp 'timer-event-handler) (sit-for 0)))
    (funcall predicate)))

(condition-case err
    (progn
      (say "version %s %s" emacs-version
           (file-name-nondirectory (directory-file-name
                                    (file-name-directory (locate-library "eglot")))))
      (add-to-list 'auto-mode-alist '("\\.org\\'" . orgspec-mode))
      (find-file (getenv "SPEC"))
      (say "mode %s" major-mode)
      (apply #'eglot (eglot--guess-contact))
      (say "attached %s" (if (wait-for #'eglot-current-server 15) "t" "nil"))
      (flymake-mode 1)
      (wait-for (lambda () (flymake-start) (flymake-diagnostics)) 15)
      (let ((diags (sort (flymake-diagnostics)
                         (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b))))))
        (say "diagnostics %d" (length diags))
        (dolist (d diags)
          (say "  %d %s" (line-number-at-pos (flymake-diagnostic-beg d))
               (replace-regexp-in-string "\n" " " (flymake-diagnostic-text d)))))
      (goto-char (point-min))
      (re-search-forward "reports_to \\(\\w\\)")
      (goto-char (match-beginning 1))
      (let* ((id (xref-backend-identifier-at-point 'eglot))
             (defs (xref-backend-definitions 'eglot id)))
        (dolist (x defs)
          (let ((loc (xref-item-location x)))
            (say "definition %s:%d" (file-name-nondirectory (xref-file-location-file loc))
                 (xref-file-location-line loc)))))
      (let ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                    (eglot--TextDocumentPositionParams))))
        (say "hover %s" (car (split-string (plist-get (plist-get hover :contents) :value) "\n"))))
      (let ((items (jsonrpc-request (eglot-current-server) :textDocument/completion
                                    (eglot--TextDocumentPositionParams))))
        (say "completion %d" (length (if (vectorp items) items (plist-get items :items)))))
      (goto-char (point-min))
      (insert "org   zz  \"Z\"   {kind council}\n")
      (eglot-format-buffer)
      (goto-char (point-min))
      (say "formatted %s" (buffer-substring (point) (line-end-position))))
  (error (say "error %S" err)))

(with-temp-file (getenv "OUT")
  (insert (mapconcat #'identity (reverse session-lines) "\n") "\n"))
(kill-emacs 0)
